"""Adapters to the machine itself: the wall clock."""
