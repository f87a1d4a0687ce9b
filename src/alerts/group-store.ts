import type { AlertAction, TicketView } from './decide-alert-group'
import type { AlertRecord } from './merge-alert'

/** What the bridge's writes gave the ticket beyond its existence and status (ThreadState's). */
export type AlertTicketMarks = Pick<TicketView, 'priority' | 'firing'>

/** A decision being carried out: its event, its actions, and the marks from before it. */
export interface PendingDecision {
  eventId: string
  actions: AlertAction[]
  before: AlertTicketMarks
}

interface GroupRow {
  marks: AlertTicketMarks
  pending?: PendingDecision
}

const GROUP_KEY = 'alert_group'

/**
 * An alert group's state in its thread's Durable Object, apart from the thread's own records:
 * one SQL row per alert (a group may hold 10,000 alerts, more than one stored value takes) and
 * one value for the ticket marks and the decision in progress.
 */
export class AlertGroupStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS alert_records (id TEXT PRIMARY KEY,
      record TEXT NOT NULL)`)
  }

  records(): Map<string, AlertRecord> {
    const rows = this.storage.sql
      .exec<{ id: string; record: string }>(`SELECT id, record FROM alert_records`)
      .toArray()
    return new Map(rows.map((r) => [r.id, JSON.parse(r.record) as AlertRecord]))
  }

  get group(): GroupRow {
    return this.storage.kv.get<GroupRow>(GROUP_KEY) ?? { marks: {} }
  }

  /** Writes the records that changed (by identity), drops the gone ones, and the group row. */
  save(before: Map<string, AlertRecord>, after: Map<string, AlertRecord>, row: GroupRow): void {
    this.storage.transactionSync(() => {
      for (const id of before.keys()) {
        if (!after.has(id)) this.storage.sql.exec(`DELETE FROM alert_records WHERE id = ?`, id)
      }
      for (const [id, record] of after) {
        if (before.get(id) === record) continue
        this.storage.sql.exec(
          `INSERT OR REPLACE INTO alert_records (id, record) VALUES (?, ?)`,
          id,
          JSON.stringify(record),
        )
      }
      this.storage.kv.put(GROUP_KEY, row)
    })
  }

  /** The decision in progress is carried out. */
  finish(): void {
    this.storage.kv.put(GROUP_KEY, { marks: this.group.marks })
  }
}
