package org.statemigration.smp.store.blob.s3;

/**
 * How the S3 server checks each part and small object it receives against what was sent: the integrity of the
 * transfer, on top of the authentication of every sealed segment when it is read back.
 */
public enum PartChecksum {

	/** {@code Content-MD5}: checked by AWS, Ceph RGW and s3proxy alike. */
	MD5,

	/** {@code x-amz-checksum-sha256}: checked by AWS and s3proxy; Ceph 16 refuses a correct one. */
	SHA256,

	/** Nothing beyond TLS and the signature of the request. */
	NONE

}
