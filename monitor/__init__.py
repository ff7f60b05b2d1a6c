"""chatmon: audit Taobao/Tmall customer-service chats for platform penalty exposure.

Data flows ingest -> text/detect -> timing -> score -> store -> report; see README.md.
"""

__version__ = "0.1.0"
