"""The demo company's people: a director, two managers over three teams (one of them a team
tree), twelve reps and an admin, all signing in with the documented demo password."""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.demo import DEMO_PASSWORD
from guishu.domain import Person, Role

EAST, DESK, SOUTH = (
    "华东外贸部 / East Export",
    "欧美大客户组 / Key Accounts EU & Americas",
    "华南内贸部 / South Domestic",
)

# (username, display name, role, team). The desk hangs under East export, so 刘洋 manages a
# team tree; 王磊 and 陈静 are reps A and B of the case in DOMAIN.md.
PEOPLE = (
    ("admin", "系统管理员", "admin", None),
    ("zhaojianguo", "赵建国", "director", None),
    ("liuyang", "刘洋", "manager", EAST),
    ("sunli", "孙丽", "manager", SOUTH),
    ("wanglei", "王磊", "rep", EAST),
    ("lilei", "李雷", "rep", EAST),
    ("hanmeimei", "韩梅梅", "rep", EAST),
    ("zhoujie", "周杰", "rep", EAST),
    ("chenjing", "陈静", "rep", DESK),
    ("zhenghao", "郑浩", "rep", DESK),
    ("linxiao", "林晓", "rep", DESK),
    ("huangzhiqiang", "黄志强", "rep", SOUTH),
    ("hemin", "何敏", "rep", SOUTH),
    ("luobin", "罗斌", "rep", SOUTH),
    ("xudan", "许丹", "rep", SOUTH),
    ("wuting", "吴婷", "rep", SOUTH),
)
REP_A, REP_B = "wanglei", "chenjing"
MANAGED = {"liuyang": (EAST, DESK), "sunli": (SOUTH,)}


def planned_people() -> tuple[dict[str, Person], dict[str, frozenset[int] | None]]:
    """The people as the rules engine sees them, before any row exists, so the whole year can
    be planned (and a planning bug found) before anything is written. Ids are stand-ins; the
    plan refers to people by username."""
    people = {
        username: Person(id=i, name=display, role=Role(role))
        for i, (username, display, role, _) in enumerate(PEOPLE, start=1)
    }
    manages: dict[str, frozenset[int] | None] = {}
    for username, _, role, _ in PEOPLE:
        if role in ("director", "admin"):
            manages[username] = None
        else:
            teams = MANAGED.get(username, ())
            members = {people[u].id for u, _, _, team in PEOPLE if team in teams}
            manages[username] = frozenset(members | {people[username].id} if teams else ())
    return people, manages


@dataclass(frozen=True)
class Org:
    """The people by username, and who sells to whom."""

    users: dict[str, User]
    teams: dict[str, Team]

    def __getitem__(self, username: str) -> User:
        return self.users[username]

    def sellers(self, *, domestic: bool) -> list[User]:
        """Who may take a customer: reps of the matching teams, and their manager."""
        teams = (SOUTH,) if domestic else (EAST, DESK)
        return [u for u in self.users.values() if u.team and u.team.name in teams]

    def manager_of(self, user: User) -> User:
        return self.users["sunli" if user.team and user.team.name == SOUTH else "liuyang"]

    @property
    def director(self) -> User:
        return self.users["zhaojianguo"]


def org_create(rng: random.Random) -> Org:
    """Creates the teams and users. The password is hashed once, with a salt drawn from the
    seed, so loading stays fast and the same seed gives the same rows."""
    salt = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(22))
    password = make_password(DEMO_PASSWORD, salt=salt)
    teams = {name: Team.objects.create(name=name) for name in (EAST, DESK, SOUTH)}
    teams[DESK].parent = teams[EAST]
    users: dict[str, User] = {}
    for username, display, role, team in PEOPLE:
        users[username] = User.objects.create(
            username=username,
            display_name=display,
            role=role,
            password=password,
            team=teams[team] if team else None,
            email=f"{username}@guishu-demo.example",
            is_staff=role == "admin",
            is_superuser=role == "admin",
        )
    teams[EAST].manager = teams[DESK].manager = users["liuyang"]
    teams[SOUTH].manager = users["sunli"]
    for saved in teams.values():
        saved.save()
    _, planned = planned_people()
    ids = {username: i for i, (username, *_) in enumerate(PEOPLE, start=1)}
    for username, user in users.items():
        real = managed_user_ids(user)
        mapped = (
            None
            if real is None
            else frozenset(ids[u.username] for u in users.values() if u.pk in real)
        )
        assert mapped == planned[username], f"the plan misreads whom {username} manages"
    return Org(users=users, teams=teams)


def logins() -> list[tuple[str, str, str, str]]:
    """(username, name, role, team) of every user, for the table the command prints."""
    users = User.objects.select_related("team").order_by("id")
    return [
        (u.username, u.name, str(u.get_role_display()), u.team.name if u.team else "—")
        for u in users
    ]
