"""Transforms a SAM template with AWS's own SAM translator (the Python package samtranslator,
installed with cfn-lint) and prints the CloudFormation it becomes, as JSON.

    python3 scripts/sam-translate.py template.yaml [Name=Value ...]

A local CodeUri is replaced by an S3 location first, as `sam package` would; the region is
us-east-1 and the account 123456789012 unless AWS_DEFAULT_REGION says otherwise.
"""

import json
import os
import sys

from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template attaches no AWS managed policies by name, so there is nothing to look up."""

    def load(self):
        return {}


def main() -> int:
    path, *overrides = sys.argv[1:]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = "s3://packaged-artifacts/code.zip"
    parameters = {"AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
    parameters.update(dict(item.split("=", 1) for item in overrides))
    try:
        output = transform(template, parameters, NoManagedPolicies(), passthrough_metadata=True)
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(f"SAM transform error: {cause.message}", file=sys.stderr)
        return 1
    json.dump(output, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
