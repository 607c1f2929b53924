"""Offline evaluation of careerchat's answers."""
