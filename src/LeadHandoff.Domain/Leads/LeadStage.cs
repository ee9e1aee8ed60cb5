namespace LeadHandoff.Domain.Leads;

/// Funnel stages. Marketing owns Lead→MQL; sales owns SAL→Opportunity→Customer.
/// Disqualified and Nurture are side states; only an explicit recycle moves a lead back.
public enum LeadStage
{
    Lead,
    Mql,
    Sal,
    Opportunity,
    Customer,
    Disqualified,
    Nurture,
}
