"""Chapter 1's exercises."""

from __future__ import annotations

EXERCISES: dict = {}

CHECKS: dict = {}
