"""Pools (公海): where unowned customers wait, who may claim from which, and routing."""
