"""Failed connections sorted by SQLSTATE first, whatever language the server speaks."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from crm_desktop.sync import link
from crm_desktop.sync.errors import SyncProblem
from crm_desktop.sync.server.admin import set_active
from tests.postgres import CrmDatabase


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        # What a server set to lc_messages=zh_CN says: no English word to go by.
        (errors.InvalidPassword('用户 "rae" Password 认证失败'), SyncProblem.AUTH),
        (errors.InvalidPassword("错误的密码"), SyncProblem.AUTH),
        (errors.InvalidAuthorizationSpecification('角色 "nobody" 不存在'), SyncProblem.AUTH),
        (errors.AdminShutdown("由于管理员命令中断联接"), SyncProblem.OFFLINE),
        (errors.CannotConnectNow("数据库系统正在启动"), SyncProblem.OFFLINE),
        (errors.TooManyConnections("已经有太多的客户端"), SyncProblem.OFFLINE),
    ],
)  # fmt: skip
def test_sqlstate_decides_not_the_words(error: psycopg.Error, problem: SyncProblem) -> None:
    assert link.classify_connect_error(error).problem is problem


def test_a_code_wins_over_misleading_words() -> None:
    # An English word that the text fallback would read as a certificate problem.
    error = errors.InvalidPassword("certificate of the password: authentication refused")
    assert link.classify_connect_error(error).problem is SyncProblem.AUTH
    shutdown = errors.AdminShutdown("terminating connection: password rotation")
    assert link.classify_connect_error(shutdown).problem is SyncProblem.OFFLINE


def test_a_wrong_password_at_a_real_server(crm_db: CrmDatabase) -> None:
    crm_db.add_user("rae", "rep")
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(crm_db.server.dsn("rae", "not her password", crm_db.name))
    assert link.classify_connect_error(raised.value).problem is SyncProblem.AUTH


def test_a_deactivated_user_is_told_so_not_that_the_server_is_down(
    crm_db: CrmDatabase,
) -> None:
    crm_db.add_user("rae", "rep")
    set_active(crm_db.admin_dsn, "rae", False)  # the server switches his login off
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(crm_db.server.dsn("rae", crm_db.passwords["rae"], crm_db.name))
    error = link.classify_connect_error(raised.value)
    assert error.problem is SyncProblem.LOGIN_DISABLED
    assert "switched off" in str(error)


def test_a_closed_port_has_no_code_and_is_offline() -> None:
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect("host=127.0.0.1 port=1 dbname=crm user=rae connect_timeout=5")
    assert raised.value.sqlstate is None  # libpq's own failure: only words, hence the fallback
    assert link.classify_connect_error(raised.value).problem is SyncProblem.OFFLINE


def test_any_other_code_is_the_server_speaking_not_an_outage() -> None:
    error = link.classify_connect_error(errors.LockNotAvailable("无法获得锁"))
    assert error.problem is SyncProblem.SERVER


FAILED = 'connection to server at "10.0.0.5", port 5432 failed: 致命错误:  '


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        # libpq hands no SQLSTATE while connecting: the server's own words, in PostgreSQL's
        # Chinese catalogue (lc_messages=zh_CN), as a Chinese server says them.
        (FAILED + '不允许角色"rae" 进行登录', SyncProblem.LOGIN_DISABLED),
        (FAILED + '用户 "rae" Password 认证失败', SyncProblem.AUTH),
        (FAILED + '数据库 "crm2" 不存在', SyncProblem.NO_DATABASE),
        (
            FAILED + '没有用于主机 "10.0.0.9", 用户 "rae", 数据库 "crm", no encryption 的 '
            "pg_hba.conf 记录",
            SyncProblem.HOST_NOT_ALLOWED,
        ),
    ],
)
def test_a_chinese_servers_words_are_read_too(said: str, problem: SyncProblem) -> None:
    assert link.classify_connect_error(psycopg.OperationalError(said)).problem is problem


def test_a_mistyped_database_is_said_not_that_the_server_is_down(crm_db: CrmDatabase) -> None:
    crm_db.add_user("rae", "rep")
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(crm_db.server.dsn("rae", crm_db.passwords["rae"], "crm_typo"))
    error = link.classify_connect_error(raised.value)
    assert error.problem is SyncProblem.NO_DATABASE
    assert "“crm_typo”" in str(error)
