HR_GROUP = "HR"
# Logins of integrations (Jira automation, HRIS sync) that may push data but hold no HR role.
INTEGRATION_GROUP = "Integrations"
