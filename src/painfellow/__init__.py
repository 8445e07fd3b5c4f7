"""painfellow: one self-hostable platform for a pain medicine fellowship."""

__version__ = "0.1.0"
