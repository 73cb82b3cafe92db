"""Sign-in, password change, and the Standing Office's management of accounts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from accounts import services, twofactor
from accounts.forms import LoginForm, RoleAssignmentForm, StyledPasswordChangeForm, UserCreateForm, UserEditForm
from accounts.models import RoleAssignment, User
from accounts.views_twofactor import start_pending
from core.http import paginate, query_without_page


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What axes answers once an account or address is locked."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    address = getattr(request, "pcmt_address_locked", False)  # set by accounts.lockout
    failures = settings.PCMT_LOCKOUT_ADDRESS_FAILURES if address else settings.AXES_FAILURE_LIMIT
    return render(
        request, "accounts/locked.html", {"minutes": minutes, "failures": failures, "address": address}, status=429
    )


class LoginView(auth_views.LoginView):
    access_rule = "public"
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.confirmed_device(user) is not None:
            return start_pending(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    access_rule = "login"
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("dashboard:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


@feature_required("account.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.for_user(request.user)
        .select_related("province")
        .prefetch_related(
            Prefetch(
                "role_assignments", queryset=RoleAssignment.objects.select_related("agency", "commune", "province")
            )
        )
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    status = request.GET.get("status", "")
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    page = paginate(request, users.order_by("full_name", "username"))
    return render(
        request, "accounts/user_list.html", {"page": page, "q": q, "status": status, "qs": query_without_page(request)}
    )


@feature_required("account.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in ("username", "full_name", "email", "position", "phone")
            if k in form.cleaned_data
        }
        user = services.create_user(
            acting_user=request.user,
            province=form.cleaned_data["province"],
            password=form.cleaned_data["password1"],
            **data,
        )
        messages.success(
            request, f"Đã tạo tài khoản {user.username}. Người dùng phải đổi mật khẩu khi đăng nhập lần đầu."
        )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@feature_required("account.manage")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User.objects.for_user(request.user).select_related("province"), pk=pk)
    contact = services.may_see_contact(request.user, target)
    edit_form = UserEditForm(instance=target, prefix="edit", contact=contact)
    role_form = RoleAssignmentForm(acting_user=request.user, target=target, prefix="role")
    if request.method == "POST":
        if "edit-full_name" in request.POST:
            edit_form = UserEditForm(
                request.POST, instance=User.objects.get(pk=target.pk), prefix="edit", contact=contact
            )
            if edit_form.is_valid():
                services.update_user(acting_user=request.user, user=target, data=edit_form.cleaned_data)
                messages.success(request, "Đã lưu thông tin tài khoản.")
                return redirect("accounts:user_detail", pk=pk)
        else:
            role_form = RoleAssignmentForm(request.POST, acting_user=request.user, target=target, prefix="role")
            if role_form.is_valid():
                try:
                    assignment = services.assign_role(acting_user=request.user, user=target, **role_form.cleaned_data)
                except (ValidationError, PermissionDenied) as exc:
                    role_form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
                else:
                    messages.success(
                        request,
                        "Đã gửi đề nghị giao vai trò: vai trò có hiệu lực khi một cán bộ khác phê duyệt."
                        if assignment.is_pending
                        else "Đã giao vai trò.",
                    )
                    return redirect("accounts:user_detail", pk=pk)
    assignments = target.role_assignments.select_related("agency", "commune", "province", "created_by", "approved_by")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "assignments": assignments,
            "edit_form": edit_form,
            "role_form": role_form,
            "contact": contact,
            "locked": services.is_locked(target),
            "two_factor": twofactor.confirmed_device(target) is not None,
        },
    )


@require_POST
@feature_required("account.manage")
def role_revoke(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    target = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user=target)
    try:
        services.revoke_role(acting_user=request.user, assignment=assignment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Đã thu hồi vai trò.")
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@feature_required("account.manage")
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(acting_user=request.user, user=target, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã kích hoạt lại tài khoản." if active else "Đã vô hiệu hóa tài khoản.")
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@feature_required("account.manage")
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    services.unlock(acting_user=request.user, user=target)
    messages.success(request, f"Đã mở khóa đăng nhập cho {target.username}.")
    return redirect("accounts:user_detail", pk=pk)


@feature_required("role.approve")
def grants_pending(request: HttpRequest) -> HttpResponse:
    """Grants waiting for a second approver that this officer may approve."""
    pending = services.pending_for(request.user)
    return render(request, "accounts/grants_pending.html", {"pending": pending})


@require_POST
@feature_required("role.approve")
def grant_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(services.pending_for(request.user), pk=pk)
    try:
        services.approve_grant(acting_user=request.user, assignment=assignment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            f"Đã phê duyệt: {assignment.get_role_display()} — {assignment.scope_label} "
            f"cho tài khoản {assignment.user.username}.",
        )
    return redirect("accounts:grants_pending")
