"""The Đakrông portal's own Pelican code, one module per concern.

Pelican loads this package through PLUGINS = ["portal"] and calls register().
"""

from .plugin import register

__all__ = ["register"]
