"""`makemessages` that also collects the rule-trace templates of the pure engine.

guishu.domain cannot import Django, so it marks its trace templates with its own
`gettext_noop`, imported as `N_`; xgettext knows neither name under that alias unless told.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
