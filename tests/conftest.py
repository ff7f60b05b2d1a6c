import sys
from pathlib import Path

# Test helpers (fixtures builders) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
