"""minsheng (民生): plan, monitor and evaluate public service plans."""

__version__ = "0.1.0"
