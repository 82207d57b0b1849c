#!/usr/bin/env python3
"""The outbox claim and next-due statements before and after they were split to stay on
outbox_due_idx: time (median of 300) and plan, on a file holding N outbox rows of which one
in a thousand is due. Uses Python's own sqlite3 module: `python3 bench/outbox_plans.py [N]`."""
import sqlite3, glob, time, statistics, os, sys
db=os.path.join(os.environ.get('TMPDIR','/tmp'),'branchbot-plans.db')
for f in [db, db+'-wal', db+'-shm']:
    if os.path.exists(f): os.remove(f)
c=sqlite3.connect(db)
c.execute('PRAGMA journal_mode=WAL')
for f in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','migrations','sqlite','*.sql'))):
    c.executescript(open(f).read())
N=int(sys.argv[1]) if len(sys.argv)>1 else 24000
rows=[]
for i in range(N):
    status='pending' if i%1000==0 else 'sent'
    rows.append(('telegram',str(i%2000),'x','[]',f'seed:{i}',status,i,i,None if status=='pending' else i))
c.executemany("INSERT INTO outbox (channel,address,body,choices,dedupe_key,status,next_attempt_at,created_at,sent_at) VALUES (?,?,?,?,?,?,?,?,?)",rows)
c.commit(); c.execute('ANALYZE'); c.commit()
now=10**9
cols="id, channel, address, member_id, body, choices, attempts, expires_at, urgent, status, anonymous"
old_claim=f"SELECT {cols} FROM outbox WHERE channel = ?1 AND ((status = 'pending' AND next_attempt_at <= ?2) OR (status = 'sending' AND lease_until <= ?2)) AND (urgent = 1 OR ?4 = 0) AND (?5 IS NULL OR address = ?5) ORDER BY next_attempt_at, id LIMIT ?3"
new_claim=[f"SELECT {cols} FROM outbox WHERE channel = ?1 AND status = '{st}' AND {due} <= ?2 AND (urgent = 1 OR ?4 = 0) AND (?5 IS NULL OR address = ?5) ORDER BY next_attempt_at, id LIMIT ?3" for st,due in (('sending','lease_until'),('pending','next_attempt_at'))]
old_next="SELECT MIN(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) FROM outbox WHERE channel = ?1 AND status IN ('pending', 'sending')"
new_next="SELECT MIN(t) FROM (SELECT MIN(next_attempt_at) AS t FROM outbox WHERE channel = ?1 AND status = 'pending' UNION ALL SELECT MIN(lease_until) AS t FROM outbox WHERE channel = ?1 AND status = 'sending') due"
args5=('telegram',now,60,0,None)
def t(sqls,args,n=300):
    ts=[]
    for _ in range(n):
        s=time.perf_counter()
        for q in sqls: c.execute(q,args[:q.count('?') and max(int(x[0]) for x in q.split('?')[1:])]).fetchall()
        ts.append((time.perf_counter()-s)*1000)
    return statistics.median(ts)
def plan(q,args):
    return '; '.join(r[3] for r in c.execute('EXPLAIN QUERY PLAN '+q,args[:max(int(x[0]) for x in q.split('?')[1:])]))
print(f"sqlite {sqlite3.sqlite_version}, {N} outbox rows ({N//1000} pending), load {open('/proc/loadavg').read().split()[:3]}")
print(f"claim before: {t([old_claim],args5):.3f} ms  plan: {plan(old_claim,args5)}")
print(f"claim after (two statements): {t(new_claim,args5):.3f} ms  plan: {plan(new_claim[1],args5)}")
print(f"next due before: {t([old_next],args5):.3f} ms  plan: {plan(old_next,args5)}")
print(f"next due after: {t([new_next],args5):.3f} ms  plan: {plan(new_next,args5)}")
