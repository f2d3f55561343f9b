import { awsRegion, deniedAction, describeError, permissionError } from "../../shared/index.js";
import { type ImageRef, shortName } from "./image-ref.js";

/** Where an image lives, for messages: "registry 123456789012, region eu-west-1". */
export const whereIs = (ref: ImageRef): string =>
  `${ref.registryId ? `registry ${ref.registryId}, ` : ""}region ${ref.region ?? awsRegion()}`;

/**
 * A PermissionError naming the action that was denied: the one AWS names when it does (a call can
 * need an action it implies: enhanced findings need inspector2:ListFindings), else the call's own.
 */
export const accessDenied = (error: unknown, ref: ImageRef, calledAction: string) => {
  const action = deniedAction(error) ?? calledAction;
  const why =
    action === "inspector2:ListFindings"
      ? 'The function\'s role needs inspector2:ListFindings (Resource "*") to read enhanced (Amazon Inspector) findings.'
      : `The function's role needs ${action} on the repository (and ecr:DescribeImages and ecr:DescribeImageScanFindings for every check)${
          ref.registryId
            ? "; a repository in another account must also allow it in its repository policy"
            : ""
        }. See "IAM" in the README (EcrRepositoryPattern, EcrExtraRepositoryArns).`;
  return permissionError(
    `Access denied ${
      action === calledAction ? `calling ${action}` : `for ${action}, which ${calledAction} needs,`
    } for ${shortName(ref)} (${whereIs(ref)}): ${describeError(error)}. ${why}`,
    error,
  );
};
