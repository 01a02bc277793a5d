"""Accounts: signing up and in, roles (student, teacher), personal API tokens, and claiming anonymous work."""
