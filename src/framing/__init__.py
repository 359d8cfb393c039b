"""framing: how news outlets frame the same story, and how far they agree on the facts."""
from __future__ import annotations

__version__ = "0.1.0"

from .analysis import analyze  # noqa: E402
from .document import ArticleMeta, Document, Span  # noqa: E402
from .errors import FramingError  # noqa: E402
from .audit import audit  # noqa: E402  (binds framing.audit to the function, not the module)

__all__ = ["analyze", "audit", "ArticleMeta", "Document", "Span", "FramingError", "__version__"]
