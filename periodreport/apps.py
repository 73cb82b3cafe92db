from django.apps import AppConfig


class PeriodReportConfig(AppConfig):
    name = "periodreport"
    verbose_name = "Báo cáo chung của kỳ"
