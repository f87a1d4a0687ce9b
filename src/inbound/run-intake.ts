import { alertIntake } from './alert-intake'
import { formIntake } from './form-intake'
import type { Intake, IntakeRequest } from './intake'
import { slackIntake } from './slack-intake'
import { webhookIntake } from './webhook-intake'

/** Authenticate, parse and adapt, as the source's kind does it. */
export function runIntake(request: IntakeRequest): Promise<Intake> {
  const { source } = request
  switch (source.kind) {
    case 'form':
      return formIntake({ ...request, source })
    case 'slack':
      return slackIntake({ ...request, source })
    case 'alertmanager':
    case 'grafana':
      return alertIntake({ ...request, source })
    case 'webhook':
      return webhookIntake({ ...request, source })
  }
}
