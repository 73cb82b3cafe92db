"""URLs of the plan import flow (upload → review → confirm), under /ke-hoach/nhap/."""

from django.urls import path

from plans import views_import as v

urlpatterns = [
    path("nhap/", v.upload, name="import_upload"),
    path("nhap/danh-sach/", v.draft_list, name="import_list"),
    path("nhap/<int:pk>/", v.review, name="import_review"),
    path("nhap/<int:pk>/tep-goc/", v.source_file, name="import_file"),
    path("nhap/<int:pk>/thong-tin/", v.edit_meta, name="import_meta"),
    path("nhap/<int:pk>/thay-the/", v.edit_replaces, name="import_replaces"),
    path("nhap/<int:pk>/tiep-tuc/", v.acknowledge_duplicate, name="import_ack_duplicate"),
    path("nhap/<int:pk>/chi-tieu/them/", v.add_target, name="import_target_add"),
    path("nhap/<int:pk>/chi-tieu/<int:i>/", v.save_target, name="import_target_save"),
    path("nhap/<int:pk>/chi-tieu/<int:i>/xoa/", v.delete_target, name="import_target_delete"),
    path("nhap/<int:pk>/bao-cao/them/", v.add_duty, name="import_duty_add"),
    path("nhap/<int:pk>/bao-cao/<int:i>/", v.save_duty, name="import_duty_save"),
    path("nhap/<int:pk>/bao-cao/<int:i>/xoa/", v.delete_duty, name="import_duty_delete"),
    path("nhap/<int:pk>/khoi/them/", v.add_block, name="import_block_add"),
    path("nhap/<int:pk>/khoi/<int:b>/", v.save_block, name="import_block_save"),
    path("nhap/<int:pk>/khoi/<int:b>/noi-dung/", v.block_body, name="import_block_body"),
    path("nhap/<int:pk>/ap-dung-chung/", v.bulk_set, name="import_bulk_set"),
    path("nhap/<int:pk>/co-quan-ke-thua/", v.replace_legacy, name="import_replace_legacy"),
    path("nhap/<int:pk>/khoi/<int:b>/them-nhiem-vu/", v.add_task, name="import_task_add"),
    path("nhap/<int:pk>/khoi/<int:b>/nhiem-vu/<int:t>/", v.save_task, name="import_task_save"),
    path("nhap/<int:pk>/khoi/<int:b>/nhiem-vu/<int:t>/xoa/", v.delete_task, name="import_task_delete"),
    path("nhap/<int:pk>/khoi/<int:b>/nhiem-vu/<int:t>/tach/", v.split_task, name="import_task_split"),
    path("nhap/<int:pk>/khoi/<int:b>/nhiem-vu/<int:t>/gop/", v.merge_task, name="import_task_merge"),
    path("nhap/<int:pk>/xac-nhan/", v.confirm, name="import_confirm"),
    path("nhap/<int:pk>/huy/", v.discard, name="import_discard"),
]
