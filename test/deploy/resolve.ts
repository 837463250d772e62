/** The packaged template, as far as the tests read it. */
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: any }>;
}

const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };

/**
 * Evaluates the intrinsic functions the template's policies use, as CloudFormation would in account
 * 123456789012: a Ref to a resource gives its name, a GetAtt stays symbolic (`Logical.Attr`).
 */
export function resolve(template: Template, value: unknown): any {
  const at = (v: unknown) => resolve(template, v);
  if (Array.isArray(value)) return value.map(at);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [fn, arg] = entries[0] ?? [];
  if (entries.length !== 1 || !(fn === 'Ref' || fn!.startsWith('Fn::'))) return Object.fromEntries(entries.map(([k, v]) => [k, at(v)]));
  const a = arg as any;
  switch (fn) {
    case 'Ref':
      return pseudo[a] ?? template.Resources[a]!.Properties.Name ?? template.Resources[a]!.Properties.QueueName;
    case 'Fn::Sub':
      return (a as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => pseudo[name]!);
    case 'Fn::Join':
      return (at(a[1]) as string[]).join(a[0]);
    case 'Fn::Split':
      return (at(a[1]) as string).split(a[0]);
    case 'Fn::If':
      return at(template.Conditions![a[0]]) ? at(a[1]) : at(a[2]);
    case 'Fn::Not':
      return !at(a[0]);
    case 'Fn::Equals':
      return at(a[0]) === at(a[1]);
    case 'Fn::GetAtt':
      return `${a[0]}.${a[1]}`;
    default:
      throw new Error(`Unexpected intrinsic ${fn}`);
  }
}
