"""URLs of task tracking (plans, tasks, progress, extensions, reports)."""

from django.urls import path

from plans import views_tracking as v

urlpatterns = [
    path("", v.plan_list, name="plan_list"),
    path("<int:pk>/", v.plan_detail, name="plan_detail"),
    path("nhiem-vu/", v.task_list, name="task_list"),
    path("nhiem-vu/xuat-excel/", v.task_export, name="task_export"),
    path("nhiem-vu-cua-toi/", v.my_tasks, name="my_tasks"),
    path("nhiem-vu/<int:pk>/", v.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/tien-do/", v.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/phoi-hop/", v.task_contribute, name="task_contribute"),
    path("nhiem-vu/<int:pk>/trang-thai/", v.task_status, name="task_status"),
    path("nhiem-vu/<int:pk>/huong-dan/", v.task_guidance, name="task_guidance"),
    path("nhiem-vu/<int:pk>/gia-han/", v.task_extension, name="task_extension"),
    path("gia-han/<int:pk>/quyet-dinh/", v.extension_decide, name="extension_decide"),
    path("tep/<int:pk>/", v.attachment_download, name="attachment_download"),
    path("qua-han/", v.overdue_list, name="overdue"),
    path("ma-tran/", v.responsibility_matrix, name="matrix"),
    path("ma-tran/xuat-excel/", v.matrix_export, name="matrix_export"),
    path("theo-du-an/", v.by_project, name="by_project"),
]
