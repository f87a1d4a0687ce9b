/**
 * Udesk's answer codes. Udesk's error table (its ticket API documentation, "Code Error Code
 * Description") is reproduced verbatim; the codes it leaves out (authentication, rate limit,
 * attachment limits, customers) are the simulator's choice, documented in sim/README.md.
 */
export const SUCCESS = 1000

export const ERR = {
  // 2000: one code, many messages (the reference's first group).
  ticketObjectEmpty: [2000, 'Sorry, the object ticket cannot be empty'],
  contentEmpty: [2000, 'Sorry, ticket description cannot be empty'],
  subjectEmpty: [2000, 'Sorry, ticket subject cannot be empty'],
  noSuchCustomer: [2000, 'Sorry, no such customer. Please create a customer first'],
  priorityError: [2000, 'Priority error'],
  assigneeNotFound: [2000, 'Customer service not found'],
  statusError: [2000, 'Status error'],
  creatorNotFound: [2000, 'Creator customer service not found'],
  assigneeNotInGroup: [2000, 'Sorry, this customer service is not in this customer service group'],
  assigneeEmailError: [2000, 'Customer service email error'],
  groupNotFound: [2000, 'Customer group error, customer service group not found'],
  creatorEmailError: [2000, 'Customer creation email error'],
  creatorMissing: [2000, 'Customer creation not found'],
  timeFormat: [2000, 'Time date format is incorrect'],
  idOrNumRequired: [2000, 'Sorry, you must pass id and num, and cannot be empty'],
  resourceMissing: [2000, 'Sorry, the resource does not exist'],
  idAndNum: [2000, 'Sorry, id and num cannot be passed at the same time'],
  agentMissing: [2000, 'Customer service does not exist'],
  agentGroupMissing: [2000, 'Customer service group does not exist'],
  filterNotFound: [2000, 'Specific filter not found'],
  ticketIdRequired: [2000, 'ticket_id is a required field and cannot be empty'],
  fileNameRequired: [2000, 'file_name is a required field and cannot be empty'],
  ticketMissing: [2000, 'Sorry, the ticket does not exist'],
  newReplyRequired: [2000, 'Sorry, reply content new_reply is required and cannot be empty'],
  functionTypeRequired: [2000, 'Sorry, reply type function_type is required and cannot be empty'],
  agentIdRequired: [2000, 'Sorry, customer service id is required and cannot be empty'],
  agentIdInteger: [2000, 'Sorry, the value of customer service id should be an integer'],
  ticketWithoutCustomer: [2000, 'Sorry, the customer of the ticket does not exist'],
  ccNotArray: [2000, 'cc is not an array format'],
  ccCustomerNotArray: [2000, 'cc_customer is not an array format'],
  freeCompanyCc: [2000, 'Free companies cannot carbon copy'],
  tooManyCcCustomers: [2000, 'The number of copied customers does not exceed 10'],
  tooManyCcAgents: [2000, 'The number of copied customer services does not exceed 10'],
  surveyDisabled: [
    2000,
    'No configuration for ticket satisfaction survey or ticket satisfaction survey is closed',
  ],
  unknown: [2000, 'Unknown error'],
  notFound: [2005, 'No such resource found'],
  exportFailed: [2062, 'Failed to get ticket information'],
  voteNumber: [20573, 'vote_number is not a positive integer'],
  alreadyEvaluated: [20576, 'The ticket has been evaluated'],
  customerIdPair: [
    40001,
    'Identifier type and value must exist simultaneously or be empty simultaneously',
  ],
  customerIdType: [40002, 'Unsupported customer_id_type'],
  customerIdNotFound: [40003, 'No customer found based on customer_id_type and customer_id_value'],
  // The reference lists these messages without their codes; the simulator numbers them.
  tooManyAttachments: [2048, 'A ticket can upload up to 10 attachments'],
  noAttachment: [2049, 'Sorry, you have not uploaded attachments'],
  ticketAttachmentsTooLarge: [2050, 'A ticket associated with an attachment cannot exceed 20mb'],
  fileTooLarge: [2051, 'Sorry, the file you uploaded exceeds 20mb'],
  // Not in the reference: authentication, rate limit and customer answers (sim/README.md).
  authParamMissing: [2001, 'Sorry, the authentication parameters are incomplete'],
  authSignVersion: [2002, 'Sorry, sign_version only supports v2'],
  authFailed: [2003, 'Sorry, authentication failed, please check email and sign'],
  authTimestamp: [2004, 'Sorry, the timestamp is invalid or expired'],
  authNonceUsed: [2006, 'Sorry, the nonce has already been used'],
  rateLimited: [2029, 'Sorry, requests are too frequent, please try again later'],
  customerObjectEmpty: [2000, 'Sorry, the object customer cannot be empty'],
  nickNameEmpty: [2000, 'Sorry, customer nick_name cannot be empty'],
  customerTypeError: [2000, 'Sorry, type must be email, cellphone, customer_token or customer_id'],
} as const satisfies Record<string, readonly [number, string]>

export type ErrorName = keyof typeof ERR

/** A Udesk error answer, thrown by handlers and turned into JSON by the app's onError. */
export class UdeskFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly exception?: string,
    readonly httpStatus: 200 | 400 | 401 | 404 | 429 = 200,
  ) {
    super(message)
    this.name = 'UdeskFailure'
  }

  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { code: this.code, message: this.message }
    if (this.exception !== undefined) body.exception = { message: this.exception }
    return body
  }
}

/** `throw fail('subjectEmpty')`; the exception text is Udesk's `exception.message`. */
export function fail(name: ErrorName, exception?: string): UdeskFailure {
  const [code, message] = ERR[name]
  return new UdeskFailure(code, message, exception)
}

/** The "Unknown error" answers of PUT /tickets/:id carry the detail in `exception.message`. */
export function failUpdate(exception: string): UdeskFailure {
  return fail('unknown', exception)
}

/** Message for a `code` fault: the reference's text when the code is known. */
export function messageForCode(code: number): string {
  if (code === 2000) return ERR.unknown[1]
  const known = Object.values(ERR).find(([c]) => c === code)
  return known ? known[1] : `Simulated error ${code}`
}
