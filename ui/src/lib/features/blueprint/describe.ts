// Words for a client's tenancy, rendered from its typed fields (the same sentences `pinshift blueprint show`
// prints, from the same values).
import type {
  CampaignChannel,
  CommunicationLimit,
  EventDestination,
  EventTarget,
  NotCreated,
  SenderId,
  SmsPool,
} from '$lib/ipc';

export function eventTarget(t: EventTarget): string {
  switch (t.kind) {
    case 'event_bridge':
      return t.event_bus_arn ? `EventBridge ${t.event_bus_arn}` : 'EventBridge (default bus)';
    case 'firehose':
      return `Firehose ${t.delivery_stream_arn}`;
    case 'kinesis_stream':
      return `Kinesis stream ${t.stream_arn} (needs a Firehose stream in front)`;
    case 'sns':
      return t.topic_arn ? `SNS ${t.topic_arn}` : 'SNS topic created for the client';
    case 'cloud_watch_logs':
      return `CloudWatch Logs ${t.log_group_arn}`;
    case 'cloud_watch_metrics':
      return 'CloudWatch metrics';
    case 'pinpoint':
      return 'Pinpoint (stops working: replaced)';
  }
}

export function eventDestination(d: EventDestination): string {
  const why = d.existing ? ' (existing)' : d.reason ? ` — ${d.reason}` : '';
  return `${d.name}: ${eventTarget(d.target)}${why}`;
}

export function senderId(s: SenderId): string {
  return `${s.sender_id} (${s.iso_country_code})`;
}

/** A pool's numbers and sender IDs. */
export function poolMembers(pool: SmsPool): string[] {
  return [...pool.numbers, ...pool.sender_ids.map(senderId)];
}

export function limit(l: CommunicationLimit): string {
  const days = l.frequency_days === 1 ? '1 day' : `${l.frequency_days} days`;
  return `${l.max_count_per_recipient} per recipient per ${days} (${l.source_field})`;
}

export function notCreated(n: NotCreated): string {
  return `${n.kind} ${n.name}: ${n.reason}`;
}

const CHANNELS: Record<CampaignChannel, string> = {
  email: 'email',
  sms: 'SMS',
  telephony: 'telephony',
  push: 'push (custom action)',
  custom: 'custom action',
};

export function channels(list: CampaignChannel[]): string {
  return list.map((c) => CHANNELS[c]).join(', ');
}
