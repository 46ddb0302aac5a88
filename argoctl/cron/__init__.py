"""CronWorkflows without a controller: the pure decision core both schedulers share.

``schedule`` reads cron lines as Argo's cron library does; ``decide`` says, for a CronWorkflow, its
workflows and ``now``, which run is due, whether it may start (suspend, ``stopStrategy``, ``when``,
``concurrencyPolicy``), which workflow to create, which to terminate or delete, and the status
Argo's cron controller would keep. Pure: no I/O, no clock (``now`` is an argument); the CLI's
``cron trigger``/``cron run``/``cron backfill`` and the CronJobs on a cluster act on its answers.
"""
