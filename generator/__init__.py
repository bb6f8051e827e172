"""doc2code: markdown API reference pages to typed Python code."""

__version__ = "0.1.0"
