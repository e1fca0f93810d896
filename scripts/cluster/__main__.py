"""`python3 -m scripts.cluster up|down|status|follow` (make cluster, cluster-stop)."""

import sys

from . import apps, databases, pgbouncer, process


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "up":
        databases.databases_up()
        apps.schema_and_demo()
        n = apps.apps_up()
        print(apps.topology(n))
    elif command == "down":
        apps.apps_down()
        databases.databases_down()
        left = process.cluster_processes()
        if left:
            print(f"Still running: {left}", file=sys.stderr)
            return 1
        print("The cluster is stopped.")
    elif command == "follow":
        pgbouncer.pgbouncers_follow()
    elif command == "status":
        print(apps.topology(len(apps.haproxy_servers_up())))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
