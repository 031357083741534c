"""Covering-location optimiser for new towers (maximal covering / set covering).

Plain Python (numpy, scipy, optional highspy), no Django: the ``connectivity`` app
and its ``plan_towers`` command call :func:`plan` with plain dicts.
"""

from .instance import InvalidInstance, parse_instance
from .planner import plan

__all__ = ["InvalidInstance", "parse_instance", "plan"]
