"""The admin as HR's role-assignment desk: departments, people, the policy and the role.

Every write goes through a service (departments.admin_base.ServiceAdminMixin), so the admin,
the API and the dashboard share one set of rules and one audit trail. Importing the
modules registers their ModelAdmins.
"""

from . import organisation, role, work

__all__ = ["organisation", "role", "work"]
