"""Sweep makers for leads routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
MAKERS: dict = {}
