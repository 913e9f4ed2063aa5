HR_GROUP = "HR"
# Logins of integrations (Jira automation, HRIS sync) that may push data but hold no HR role.
INTEGRATION_GROUP = "Integrations"

# The fields an HRIS row owns; everything else on Person (the login link) stays as it is.
PERSON_SYNC_FIELDS = (
    "full_name",
    "email",
    "jira_account_id",
    "department",
    "track",
    "level",
    "step",
    "is_active",
)
# A person's record as the API, the admin and the audit trail show it.
PERSON_FIELDS = ("employee_id", *PERSON_SYNC_FIELDS)
DEPARTMENT_FIELDS = ("name", "slug", "parent", "manager", "confluence_space", "knowledge_hub_url")
# An audit entry's columns, as the API and the CSV export give them.
AUDIT_FIELDS = (
    "created_at",
    "actor",
    "verb",
    "target_type",
    "target_id",
    "target_repr",
    "department",
    "before",
    "after",
    "note",
)
