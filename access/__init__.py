"""Who may do what, in one layer at the bottom of the dependency graph (no models, no app imports).

- `access.roles`: roles, scope kinds, which scopes a role may be held over.
- `access.features`: the table of features → roles that everything else reads.
- `access.scope`: a user's grants in force and the reach of each feature.
- `access.policy`: `can`, `reach`, `province_filter`, `feature_for`, `require_visible`.
- `access.decorators`: `feature_required`, `login_only`, `api_feature` for views and the API.
"""
