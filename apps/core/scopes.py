"""How a model is scoped by the permission policy (see apps.core.permissions).

Kept apart from the policy so that models can import it without importing the policy.
"""

from enum import StrEnum


class Scope(StrEnum):
    OWNED = "owned"  # owner_fields name the organisations that own a row
    PUBLIC = "public"  # reference data: every signed-in user reads it
    PERSONAL = "personal"  # one user's own records (owner_user_field)
