"""Policy-as-code toolkit for company regulations (管理制度)."""

__version__ = "0.1.0"
