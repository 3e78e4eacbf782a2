"""Checks of the code's shape that run in `make lint`: custom import-linter contracts.

Development tooling: no app imports it, and it is not one of the packages the contracts check.
"""
