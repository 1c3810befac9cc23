"""An S3-compatible server on loopback for the media tests: moto's server, an emulator of
Amazon S3's API (not S3 itself, nor any other vendor's), in a thread of the test process, on a
free port. The site talks to it over HTTP through django-storages and boto3, as it would to a
real bucket."""

import json
import logging

import boto3

from backstory.media import media_storage
from tests.smtp import free_port

BUCKET = "backstory-media"
REGION = "us-east-1"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


class ObjectStorage:
    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.env = {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": "emulator",
            "AWS_SECRET_ACCESS_KEY": "emulator",
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="emulator",
            aws_secret_access_key="emulator",
        )
        self.client.create_bucket(Bucket=BUCKET)
        # Readers' browsers fetch the pictures without credentials, as README says to set up.
        self.client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        self.url = f"{self.endpoint}/{BUCKET}/"  # where the bucket's files are read

    def storage(self):
        """The STORAGES["default"] entry the settings make of this server's variables."""
        return media_storage(lambda name, default=None: self.env.get(name, default))

    def keys(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=BUCKET, Key=key)

    def stop(self):
        self.server.stop()
