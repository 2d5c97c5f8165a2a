-- Argo CD health check for clockwork.dev Resource and Composite: reads the Ready condition.
-- Install it for both kinds (see argocd-cm-patch.yaml in this folder).
local hs = {}
local terminal = {
  Stalled = true, DependencyCycle = true, InvalidDependency = true,
  CrashLoopBackOff = true, ImagePullBackOff = true, ErrImagePull = true, Failed = true,
}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the Clockwork operator to report status"
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not yet seen the latest spec"
  return hs
end
-- Stalled=True (present only while it holds): waiting cannot help, as kstatus reads it too.
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Stalled" and condition.status == "True" then
    hs.status = "Degraded"
    hs.message = condition.message
    return hs
  end
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      hs.status = "Healthy"
    elseif terminal[condition.reason] then
      hs.status = "Degraded"
    else
      hs.status = "Progressing"
    end
    hs.message = condition.message
    return hs
  end
end
hs.status = "Progressing"
hs.message = "no Ready condition yet"
return hs
