"""A small static site generator for the massage education guide."""

__version__ = "0.1.0"
