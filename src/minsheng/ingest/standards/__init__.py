"""Basic public service lists from CSV/XLSX files (the template minsheng hands out)."""
