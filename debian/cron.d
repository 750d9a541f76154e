# ovhfence: check the OVH fencing key once a day. Pacemaker monitors its fence
# devices itself; cman (Proxmox VE 3) does not, so a key that was revoked, that
# expires or lost a rule would go unnoticed until the day a node must be fenced.
#
# To enable it, uncomment the last three lines and set the ovh.conf that holds
# the fencing key and the OVH servers it fences (the wizard's next steps print
# both). The result goes to syslog (tag ovhfence-check) every day, and by mail
# to root when it is not OK. Exit codes follow Nagios: 0 OK, 1 WARNING (the key
# expires within 30 days), 2 CRITICAL, 3 UNKNOWN (OVH could not be reached).
SHELL=/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin

#OVHFENCE_CONFIG=/etc/pve/priv/ovh.conf
#OVHFENCE_SERVERS=ns1234567.ip-1-2-3.eu,ns1234568.ip-1-2-4.eu
#17 6 * * * root out=$(ovhfence check --nagios --config "$OVHFENCE_CONFIG" --server "$OVHFENCE_SERVERS" 2>&1) || echo "$out"; logger -t ovhfence-check -- "$out"
