"""Login and password forms, with Vietnamese messages (WTForms ships none in Vietnamese)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("Số CCCD", validators=[DataRequired("Vui lòng nhập số CCCD."), Length(max=20)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu."), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Vui lòng nhập mật khẩu hiện tại.")])
    new_password = PasswordField("Mật khẩu mới", validators=[DataRequired("Vui lòng nhập mật khẩu mới.")])
    confirm_password = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[
            DataRequired("Vui lòng nhập lại mật khẩu mới."),
            EqualTo("new_password", "Hai lần nhập mật khẩu mới không khớp."),
        ],
    )
