"""The admin site's model permissions follow the feature table too.

Django's admin asks `user.has_perm("app.view_model")` for every page; Django's ModelBackend
answers from permission rows nobody maintains here. This backend answers "yes" to a person who
holds the feature `admin.site` (a grant of the administrator role in force, or a superuser made
on the server), and nothing to anyone else. It never authenticates anybody.
"""

from __future__ import annotations

from typing import Any

from access.policy import can


class AdminSiteBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: int) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and can(user_obj, "admin.site"))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and can(user_obj, "admin.site"))
