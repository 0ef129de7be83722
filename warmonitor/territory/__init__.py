"""Territorial control: who held which place, since when, until when, and on what evidence."""
from warmonitor.territory.timeline import TRANSFER_TYPES, build_timeline, control_on

__all__ = ["TRANSFER_TYPES", "build_timeline", "control_on"]
