"""One router per resource; each serves its pages and its /api paths from the same data."""
