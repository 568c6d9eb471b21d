"""Hợp đồng over HTTP: HR of the unit manages contracts, the employee reads them, nobody else sees them."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from extensions import db
from models.audit import AuditLog
from models.files import Attachment, Contract
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user
from tests.test_attachments import EXE, PASSWORD, PDF, error_text, profile_of, snapshot, stored_files


def contracts_url(profile_id: int) -> str:
    return f"/ho-so/{profile_id}/hop-dong/"


def page_token(client, profile_id: int) -> str:
    response = client.get(contracts_url(profile_id))
    assert response.status_code == 200
    return csrf_token_from(response.get_data(as_text=True))


def contract_form(**overrides) -> dict:
    form = {
        "number": "12/2024/HĐLV",
        "kind": "hd_lam_viec_xac_dinh",
        "valid_from": "01/09/2024",
        "valid_to": "31.08.2027",
        "signing_unit": "UBND huyện Gia Lâm",
    }
    form.update(overrides)
    return form


def post_contract(
    client, profile_id: int, *, token: str | None = None, file: tuple[bytes, str] | None = None, **fields
):
    token = token if token is not None else page_token(client, profile_id)
    data: dict = contract_form(**fields)
    if token:
        data["csrf_token"] = token
    if file is not None:
        data["file"] = (io.BytesIO(file[0]), file[1])
    return client.post(f"/ho-so/{profile_id}/hop-dong/them", data=data, content_type="multipart/form-data")


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture
def district(app):
    return make_unit("UBND huyện Gia Lâm")


@pytest.fixture
def commune(app, district):
    return make_unit("UBND xã Bát Tràng", parent=district, kind="xa")


@pytest.fixture
def employee(app, commune):
    user = make_user("BÙI THỊ THỦY", unit=commune, password=PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def hr(app, district):
    nv = make_unit("Phòng Nội vụ", parent=district, kind="phong_ban")
    user = make_user("Trần Văn Tổ Chức", unit=nv, password=PASSWORD, roles=[("hr", district)])
    db.session.commit()
    return user


@pytest.fixture
def other_hr(app):
    ba_dinh = make_unit("UBND quận Ba Đình")
    user = make_user("Lê Thị Ngoài", unit=ba_dinh, password=PASSWORD, roles=[("hr", ba_dinh)])
    db.session.commit()
    return user


@pytest.fixture
def signed(app, client, login_as, hr, employee):
    """A contract with its scanned PDF, added by HR over HTTP."""
    profile = profile_of(employee)
    login_as(hr)
    response = post_contract(client, profile.id, file=(PDF, "HĐ 12-2024.pdf"))
    assert response.status_code == 303
    db.session.expire_all()
    contract = db.session.scalars(select(Contract).where(Contract.profile_id == profile.id)).one()
    return profile, contract


# --- HR adds, the employee reads ---------------------------------------------------------------------


def test_hr_adds_contract_with_file_and_employee_downloads_it(app, client, login_as, signed, employee):
    profile, contract = signed
    assert (contract.number, contract.kind, contract.signing_unit) == (
        "12/2024/HĐLV",
        "hd_lam_viec_xac_dinh",
        "UBND huyện Gia Lâm",
    )
    assert (contract.valid_from.isoformat(), contract.valid_to.isoformat()) == ("2024-09-01", "2027-08-31")
    attachment = db.session.get(Attachment, contract.attachment_id)
    assert attachment.profile_id == profile.id and attachment.original_name == "HĐ 12-2024.pdf"
    assert stored_files(app) == [attachment.stored_name]
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "contract_create")) == 1

    login_as(employee)
    html = client.get(contracts_url(profile.id)).get_data(as_text=True)
    assert "Hợp đồng – BÙI THỊ THỦY" in html
    row = html[html.index(f'id="contract-{contract.id}"') :]
    row = row[: row.index("</tr>")]
    for text in (
        "12/2024/HĐLV",
        "Hợp đồng làm việc xác định thời hạn",
        "01/09/2024",
        "31/08/2027",
        "UBND huyện Gia Lâm",
    ):
        assert text in row
    # Read-only for the employee: no add form, no delete button.
    assert "contract-form" not in html and "/xoa" not in html

    link = f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve"
    assert link in row
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_indefinite_contract_without_end_date(app, client, login_as, hr, employee):
    profile = profile_of(employee)
    login_as(hr)
    response = post_contract(client, profile.id, kind="hd_lam_viec_khong_xac_dinh", valid_from="1-9-2020", valid_to="")
    assert response.status_code == 303
    html = client.get(contracts_url(profile.id)).get_data(as_text=True)
    assert "Hợp đồng làm việc không xác định thời hạn" in html
    assert "01/09/2020" in html and "Không xác định thời hạn" in html
    db.session.expire_all()
    contract = db.session.scalars(select(Contract)).one()
    assert contract.valid_to is None and contract.attachment_id is None
    assert stored_files(app) == []


@pytest.mark.parametrize(
    ("fields", "field_message"),
    [
        ({"number": "  "}, "Nhập số hợp đồng."),
        ({"kind": ""}, "Chọn loại hợp đồng."),
        ({"kind": "hd_ma"}, "Chọn loại hợp đồng."),
        ({"valid_from": ""}, "Nhập ngày bắt đầu."),
        ({"valid_from": "01/09/24"}, "Năm phải có đủ 4 chữ số"),
        ({"valid_from": "31/02/2024"}, "không tồn tại"),
        ({"valid_from": "2024-09-01"}, "Ngày phải từ 1 đến 31."),
        ({"valid_to": "hôm qua"}, "Ngày phải có dạng ngày/tháng/năm"),
        ({"valid_to": "31/08/2024", "valid_from": "01/09/2024"}, "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."),
        ({"valid_to": ""}, "Hợp đồng có thời hạn: nhập ngày kết thúc."),
        ({"signing_unit": "x" * 256}, "Đơn vị ký tối đa 255 ký tự."),
    ],
)
def test_bad_input_is_refused_and_kept(app, client, login_as, hr, employee, fields, field_message):
    profile = profile_of(employee)
    login_as(hr)
    token = page_token(client, profile.id)
    before = snapshot(app)
    response = post_contract(client, profile.id, token=token, file=(PDF, "hđ.pdf"), **fields)
    assert response.status_code == 400
    assert field_message in error_text(response)
    html = response.get_data(as_text=True)
    for name, value in contract_form(**fields).items():
        if value.strip() and name != "kind":
            assert f'value="{value}"' in html, name  # what was typed stays in the form
    assert 'id="reselect-file"' in html  # browsers drop the chosen file: the page says so
    assert snapshot(app) == before
    assert stored_files(app) == []


def test_contract_file_goes_through_the_content_checks(app, client, login_as, hr, employee):
    profile = profile_of(employee)
    login_as(hr)
    token = page_token(client, profile.id)
    before = snapshot(app)
    response = post_contract(client, profile.id, token=token, file=(EXE, "hợp đồng.pdf"))
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF" in error_text(response)
    assert 'value="12/2024/HĐLV"' in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert stored_files(app) == []


def test_hr_deletes_contract_and_its_file(app, client, login_as, signed, hr):
    profile, contract = signed
    contract_id, attachment_id = contract.id, contract.attachment_id
    login_as(hr)
    token = page_token(client, profile.id)
    response = client.post(f"/ho-so/{profile.id}/hop-dong/{contract_id}/xoa", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Contract, contract_id) is None
    assert db.session.get(Attachment, attachment_id) is None
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "contract_delete")) == 1


def test_hr_manages_contracts_whatever_the_state(app, client, login_as, hr, employee):
    profile = profile_of(employee)
    profile.status = "confirmed"  # test data setup only
    db.session.commit()
    login_as(hr)
    assert post_contract(client, profile.id).status_code == 303


# --- denials: nothing changes ------------------------------------------------------------------------


def test_employee_cannot_add_or_delete(app, client, login_as, signed, employee):
    profile, contract = signed
    login_as(employee)
    token = page_token(client, profile.id)
    before = snapshot(app)
    assert post_contract(client, profile.id, token=token, file=(PDF, "tự thêm.pdf")).status_code == 403
    response = client.post(f"/ho-so/{profile.id}/hop-dong/{contract.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 403
    assert snapshot(app) == before


def test_employee_cannot_delete_the_contract_file_from_attachments(app, client, login_as, signed, employee):
    profile, contract = signed
    login_as(employee)
    html = client.get(f"/ho-so/{profile.id}/dinh-kem/").get_data(as_text=True)
    assert "Tệp hợp đồng" in html
    token = csrf_token_from(html)
    before = snapshot(app)
    response = client.post(
        f"/ho-so/{profile.id}/dinh-kem/{contract.attachment_id}/xoa", data={"csrf_token": token}, follow_redirects=True
    )
    assert "xóa ở trang Hợp đồng" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_hr_of_another_subtree_gets_404(app, client, login_as, signed, other_hr):
    profile, contract = signed
    login_as(other_hr)
    token = csrf_token_from(client.get(contracts_url(profile_of(other_hr).id)).get_data(as_text=True))
    before = snapshot(app)
    assert client.get(contracts_url(profile.id)).status_code == 404
    assert post_contract(client, profile.id, token=token).status_code == 404
    response = client.post(f"/ho-so/{profile.id}/hop-dong/{contract.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 404
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{contract.attachment_id}/tai-ve").status_code == 404
    assert snapshot(app) == before


def test_contract_id_under_another_profile_url_is_404(app, client, login_as, signed, hr, commune):
    profile, contract = signed
    colleague = make_user("Đỗ Văn Bên", unit=commune, password=PASSWORD)
    db.session.commit()
    login_as(hr)
    colleague_profile = profile_of(colleague)
    token = page_token(client, colleague_profile.id)
    before = snapshot(app)
    response = client.post(f"/ho-so/{colleague_profile.id}/hop-dong/{contract.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 404
    assert snapshot(app) == before


def test_post_without_csrf_token_is_refused(app, client, login_as, signed, hr):
    profile, contract = signed
    login_as(hr)
    before = snapshot(app)
    assert post_contract(client, profile.id, token="").status_code == 400
    assert client.post(f"/ho-so/{profile.id}/hop-dong/{contract.id}/xoa").status_code == 400
    assert snapshot(app) == before


def test_anonymous_is_sent_to_login(app, client, employee):
    response = client.get(contracts_url(profile_of(employee).id))
    assert response.status_code == 302
    assert re.search(r"/login\?next=", response.headers["Location"])
