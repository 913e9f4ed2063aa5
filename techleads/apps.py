from django.apps import AppConfig


class TechLeadsConfig(AppConfig):
    name = "techleads"
    verbose_name = "Tech Leads"
