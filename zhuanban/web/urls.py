from django.urls import path

from . import views
from .views import directory, lifecycle, membership, taskforces, wizard

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    # login/, logout/ and the account pages: zhuanban.accounts.urls
    # task forces
    path("tf/", taskforces.taskforce_list, name="taskforce_list"),
    path("tf/typology-preview/", taskforces.typology_preview, name="typology_preview"),
    path("tf/new/", wizard.wizard_draft_step, name="tf_new"),
    path("tf/new/<int:step>/", wizard.wizard_draft_step, name="tf_new_step"),
    path("tf/new/cancel/", wizard.wizard_cancel, name="tf_new_cancel"),
    path("tf/<int:pk>/", taskforces.taskforce_detail, name="tf_detail"),
    path("tf/<int:pk>/type/", taskforces.taskforce_type, name="tf_type"),
    path("tf/<int:pk>/structure/", taskforces.taskforce_structure, name="tf_structure"),
    path("tf/<int:pk>/members/", taskforces.taskforce_members, name="tf_members"),
    path("tf/<int:pk>/history/", taskforces.taskforce_history, name="tf_history"),
    path("tf/<int:pk>/edit/", taskforces.taskforce_edit, name="tf_edit"),
    path("tf/<int:pk>/setup/<int:step>/", wizard.wizard_setup, name="tf_setup"),
    path("tf/<int:pk>/action/<slug:action>/", lifecycle.lifecycle_action, name="tf_action"),
    path("tf/<int:pk>/units/add/", membership.unit_add, name="tf_unit_add"),
    path("tf/<int:pk>/units/<int:mu_id>/exit/", membership.unit_exit, name="tf_unit_exit"),
    path("tf/<int:pk>/members/add/", membership.member_add, name="tf_member_add"),
    path("tf/<int:pk>/members/<int:mid>/exit/", membership.member_exit, name="tf_member_exit"),
    path("tf/<int:pk>/members/<int:mid>/replace/", membership.member_replace, name="tf_member_replace"),
    path("tf/<int:pk>/groups/add/", membership.group_add, name="tf_group_add"),
    path("tf/<int:pk>/targets/add/", membership.target_add, name="tf_target_add"),
    path("tf/<int:pk>/demands/add/", membership.demand_add, name="tf_demand_add"),
    path("tf/<int:pk>/demands/<int:item_id>/", membership.demand_status, name="tf_demand_status"),
    # org directory and people
    path("directory/", directory.unit_list, name="directory_units"),
    path("directory/units/<int:pk>/", directory.unit_detail, name="unit_detail"),
    path("directory/people/", directory.people_list, name="directory_people"),
    path("people/<int:pk>/", directory.person_detail, name="person_detail"),
    path("me/", directory.me, name="me"),
]
