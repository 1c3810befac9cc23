"""Original demo content for The Back Story: fictional authors, articles, pages and settings."""

from .loader import KINDS, DemoContentError, load_demo

__all__ = ["KINDS", "DemoContentError", "load_demo"]
