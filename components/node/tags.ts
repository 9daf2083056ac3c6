/**
 * The instance tag the boot setup reads through IMDSv2 (instance-metadata tags are enabled on every AWS
 * host): the id of the host's chain-data volume, which only the cloud knows and which never changes
 * during the server's life.
 */
export const DATA_VOLUME_TAG = "stakepool:data-volume";
