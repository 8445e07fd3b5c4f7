"""Assessment of fellows: the rating scales of evaluation items (pure core)."""

from painfellow.core.assessment.scales import (
    NOT_OBSERVED,
    SCALES,
    RatingScale,
    format_rating,
    parse_rating,
)

__all__ = ["NOT_OBSERVED", "SCALES", "RatingScale", "format_rating", "parse_rating"]
