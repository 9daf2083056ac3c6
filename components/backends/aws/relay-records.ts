/**
 * An A record per relay in the operator's Route53 zone, so the pool registers its relays by name. Never the
 * core. The names are registered on chain: on mainnet the records are protected from deletion, like the
 * Elastic IPs they point at (a deleted record takes the pool's relays off the network until re-registered).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RelayRecordsArgs {
  readonly zone: string;
  /** Relay name → its DNS name and public address. */
  readonly relays: ReadonlyArray<{ readonly relay: string; readonly name: string; readonly address: pulumi.Input<string> }>;
  /** Mainnet: protect the records from deletion. */
  readonly protect: boolean;
}

export class RelayRecords extends pulumi.ComponentResource {
  constructor(name: string, args: RelayRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:dns:RelayRecords", name, {}, opts);
    const zone = aws.route53.getZoneOutput({ name: args.zone, privateZone: false }, { parent: this });
    for (const relay of args.relays) {
      new aws.route53.Record(`${name}-${relay.relay}`, { zoneId: zone.zoneId, name: relay.name, type: "A", ttl: 300, records: [relay.address] }, { parent: this, protect: args.protect });
    }
    this.registerOutputs({});
  }
}
