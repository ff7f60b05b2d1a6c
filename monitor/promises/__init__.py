"""Seller promises (issue 19): what was promised (kinds), by when (deadline), and whether the orders
export shows it kept, broken or still open (check)."""
